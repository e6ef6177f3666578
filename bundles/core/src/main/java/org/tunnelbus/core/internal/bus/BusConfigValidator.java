package org.tunnelbus.core.internal.bus;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.osgi.framework.Filter;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.tunnelbus.core.internal.config.ConfigReader;

/**
 * Turns a raw configuration of PID {@value BusConfig#PID} into {@link BusSettings}, or refuses it with
 * one line that names the PID, the file, every bad property, its value and why.
 *
 * <p>Pure and stateless: the component keeps the last good settings and logs {@link Result#refusal()}.
 */
public final class BusConfigValidator {
    /** Slot names as stages declare them (kebab-case). */
    static final Pattern SLOT_NAME = Pattern.compile("[a-z0-9][a-z0-9._-]*");

    /** Ceiling of direct memory the pool may take: well above any sane pool, well below a typo. */
    static final long MAX_POOL_BYTES = 8L << 30;

    /** Either validated settings or the refusal line. */
    public record Result(BusSettings settings, String refusal) {
        public boolean ok() {
            return refusal == null;
        }
    }

    private BusConfigValidator() {
    }

    /**
     * @param props       the configuration dictionary (may be null or empty: defaults)
     * @param consequence what the caller does on refusal, for the log line
     */
    public static Result validate(Map<String, ?> props, String consequence) {
        ConfigReader r = new ConfigReader(BusConfig.PID, props);

        String filterText = r.string("stage.filter", "");
        Filter filter = null;
        if (!filterText.isEmpty()) {
            try {
                filter = FrameworkUtil.createFilter(filterText);
            } catch (InvalidSyntaxException e) {
                r.problem("stage.filter", filterText, "is not a valid LDAP filter (" + e.getMessage() + ")");
            }
        }

        Set<String> out = new HashSet<>();
        Set<String> in = new HashSet<>();
        for (String entry : r.strings("required.stages")) {
            int colon = entry.indexOf(':');
            String dir = colon < 0 ? "" : entry.substring(0, colon).trim().toLowerCase();
            String name = colon < 0 ? entry : entry.substring(colon + 1).trim();
            if (!SLOT_NAME.matcher(name).matches()) {
                r.problem("required.stages", entry, "names no stage (expected outgoing:NAME, incoming:NAME or NAME "
                        + "with NAME in kebab-case)");
                continue;
            }
            switch (dir) {
                case "" -> {
                    out.add(name);
                    in.add(name);
                }
                case "outgoing" -> out.add(name);
                case "incoming" -> in.add(name);
                default -> r.problem("required.stages", entry, "has direction '" + dir
                        + "' (expected outgoing or incoming)");
            }
        }

        long grace = r.number("hold.grace.ms", BusSettings.DEFAULT_HOLD_GRACE_MS, 0, 600_000);
        int holdMax = r.integer("hold.max.packets", BusSettings.DEFAULT_HOLD_MAX_PACKETS, 0, 1 << 24);
        int packets = r.integer("pool.packets", BusSettings.DEFAULT_POOL_PACKETS, 16, 1 << 22);
        int size = r.integer("pool.buffer.size", BusSettings.DEFAULT_POOL_BUFFER_SIZE, 256, 1 << 18);
        int headroom = r.integer("pool.headroom", BusSettings.DEFAULT_POOL_HEADROOM, 0, 4096);
        boolean leak = r.bool("leak.check", false);
        if (r.ok() && (long) packets * (size + headroom) > MAX_POOL_BYTES) {
            r.problem("pool.packets", packets, "with pool.buffer.size=" + size + " and pool.headroom=" + headroom
                    + " needs " + ((long) packets * (size + headroom) >> 20) + " MiB of direct memory (at most "
                    + (MAX_POOL_BYTES >> 20) + " MiB)");
        }
        if (!r.ok()) {
            return new Result(null, r.refusal(consequence));
        }
        return new Result(new BusSettings(filterText, filter, out, in, grace, holdMax, packets, size, headroom, leak),
                null);
    }
}
