package org.tunnelbus.core.internal.shell;

import java.util.List;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.tunnelbus.api.pipeline.Direction;
import org.tunnelbus.api.pipeline.PacketBus;
import org.tunnelbus.api.pipeline.StageInfo;
import org.tunnelbus.core.internal.bus.Bus;
import org.tunnelbus.core.internal.bus.BusComponent;

/**
 * Gogo commands {@code tunnelbus:chain} and {@code tunnelbus:counters}: what runs now, and what it did.
 * Registered with the {@code osgi.command.*} properties, so no Gogo dependency is needed.
 */
@Component(service = BusCommands.class, property = {
        "osgi.command.scope=tunnelbus",
        "osgi.command.function=chain",
        "osgi.command.function=counters"})
public final class BusCommands {
    private final PacketBus bus;

    @Activate
    public BusCommands(@Reference(name = "bus") PacketBus bus) {
        this.bus = bus;
    }

    /** Both chains: slot, box, order, state, service id, bundle. */
    public String chain() {
        return chain("outgoing") + "\n" + chain("incoming");
    }

    /** The chain of one direction ({@code outgoing} or {@code incoming}). */
    public String chain(String direction) {
        Direction d = Direction.of(direction);
        StringBuilder sb = new StringBuilder();
        if (bus instanceof BusComponent bc) {
            Bus b = bc.bus();
            sb.append(d.key()).append(" chain (version ").append(b.version()).append("), default sink: ")
                    .append(b.defaultSink(d) == null ? "NONE (packets are dropped as no-sink)" : b.defaultSink(d))
                    .append('\n');
            sb.append(String.format("  %-6s %-20s %-9s %-8s %-8s %-5s %s%n", "ORDER", "SLOT", "BOX", "STATE", "SERVICE",
                    "HELD", "BUNDLE"));
            for (Bus.SlotView s : b.describe(d)) {
                sb.append(String.format("  %-6s %-20s %-9s %-8s %-8s %-5s %s%n",
                        s.order() == Integer.MAX_VALUE ? "end" : s.order(), s.name(), s.box(), s.state(),
                        s.serviceId() < 0 ? "-" : s.serviceId(), s.held(), s.bundle().isEmpty() ? "-" : s.bundle()));
            }
            if (b.describe(d).isEmpty()) {
                sb.append("  (no stages: packets go straight to the sink)\n");
            }
            sb.append("  pool: ").append(b.allocator()).append('\n');
            return sb.toString();
        }
        List<StageInfo> chain = bus.chain(d);
        sb.append(d.key()).append(" chain\n");
        for (StageInfo s : chain) {
            sb.append(String.format("  %-6d %-20s %-9s %-8s %s%n", s.order(), s.name(), s.box(),
                    s.isMissing() ? "MISSING" : s.serviceId(), s.bundle()));
        }
        return sb.toString();
    }

    /** Every counter, sorted by name; zero counters are left out. */
    public String counters() {
        return counters("");
    }

    /** Counters whose name contains {@code match} (e.g. {@code drop}, {@code outgoing.crypto}). */
    public String counters(String match) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, Long> e : bus.counters().entrySet()) {
            if (e.getValue() != 0 && e.getKey().contains(match)) {
                sb.append(String.format("%-48s %,d%n", e.getKey(), e.getValue()));
            }
        }
        return sb.length() == 0 ? "(no counters" + (match.isEmpty() ? "" : " matching '" + match + "'") + " yet)\n"
                : sb.toString();
    }
}
