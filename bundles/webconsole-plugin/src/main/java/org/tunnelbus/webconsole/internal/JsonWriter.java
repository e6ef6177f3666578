package org.tunnelbus.webconsole.internal;

/**
 * Just enough JSON for the page's data: objects, arrays, strings, numbers, booleans, written in one pass. The
 * caller nests calls in order; commas are placed here.
 */
final class JsonWriter {
    private final StringBuilder out = new StringBuilder();
    private boolean first = true;

    JsonWriter beginObject() {
        comma();
        out.append('{');
        first = true;
        return this;
    }

    JsonWriter endObject() {
        out.append('}');
        first = false;
        return this;
    }

    JsonWriter beginArray() {
        comma();
        out.append('[');
        first = true;
        return this;
    }

    JsonWriter endArray() {
        out.append(']');
        first = false;
        return this;
    }

    /** A member name; the next call writes its value. */
    JsonWriter name(String name) {
        comma();
        string(name);
        out.append(':');
        first = true;
        return this;
    }

    JsonWriter value(String v) {
        comma();
        if (v == null) {
            out.append("null");
        } else {
            string(v);
        }
        first = false;
        return this;
    }

    JsonWriter value(long v) {
        comma();
        out.append(v);
        first = false;
        return this;
    }

    JsonWriter value(double v) {
        comma();
        out.append(Double.isFinite(v) ? String.format(java.util.Locale.ROOT, "%.1f", v) : "0");
        first = false;
        return this;
    }

    JsonWriter value(boolean v) {
        comma();
        out.append(v);
        first = false;
        return this;
    }

    JsonWriter field(String name, String v) {
        return name(name).value(v);
    }

    JsonWriter field(String name, long v) {
        return name(name).value(v);
    }

    private void comma() {
        if (!first) {
            out.append(',');
        }
        first = false;
    }

    private void string(String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '<' -> out.append("\\u003c"); // never closes a script element, wherever the JSON ends up
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
