package org.tunnelbus.core.internal.buffer;

/**
 * What a {@link PacketPool} knows about packets that were allocated and never released.
 *
 * @param count      packets outstanding
 * @param firstSite  stack of the oldest outstanding allocation, or null when leak checking was off
 * @param firstThread thread that made that allocation, or "" when unknown
 */
public record LeakReport(long count, Throwable firstSite, String firstThread) {
    public static final LeakReport NONE = new LeakReport(0, null, "");

    public boolean hasLeaks() {
        return count > 0;
    }

    /** One paragraph for an assertion message or a log line (with the allocation stack when known). */
    public String describe() {
        if (count == 0) {
            return "no leaked packets";
        }
        StringBuilder sb = new StringBuilder().append(count).append(count == 1 ? " packet" : " packets")
                .append(" allocated and never released");
        if (firstSite == null) {
            return sb.append(" (switch on leak.check or -Dtunnelbus.leakcheck=true to see where)").toString();
        }
        sb.append("; the first was allocated on thread '").append(firstThread).append("':");
        for (StackTraceElement e : firstSite.getStackTrace()) {
            sb.append("\n\tat ").append(e);
        }
        return sb.toString();
    }
}
