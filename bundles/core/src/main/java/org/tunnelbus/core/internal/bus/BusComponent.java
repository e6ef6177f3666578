package org.tunnelbus.core.internal.bus;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tunnelbus.api.packet.Packet;
import org.tunnelbus.api.packet.PacketAllocator;
import org.tunnelbus.api.packet.PacketBatch;
import org.tunnelbus.api.pipeline.Direction;
import org.tunnelbus.api.pipeline.PacketBus;
import org.tunnelbus.api.pipeline.PacketSink;
import org.tunnelbus.api.pipeline.Stage;
import org.tunnelbus.api.pipeline.StageInfo;

/**
 * The bus as a DS component: tracks the whiteboard {@link Stage} and {@link PacketSink} services, feeds
 * them to a {@link Bus}, validates configuration {@value BusConfig#PID} and registers the bus as the
 * {@link PacketBus} service. A thin adapter: every decision lives in {@link Bus}.
 */
@Component(service = PacketBus.class, configurationPid = BusConfig.PID, immediate = true)
@Designate(ocd = BusConfig.class)
public final class BusComponent implements PacketBus {
    private static final Logger LOG = LoggerFactory.getLogger(BusComponent.class);

    private final Bus bus;

    @Activate
    public BusComponent(Map<String, Object> config) {
        BusConfigValidator.Result r = BusConfigValidator.validate(config, "starting with the defaults");
        if (!r.ok()) {
            LOG.error(r.refusal());
        }
        BusSettings s = r.ok() ? r.settings() : BusSettings.defaults();
        bus = new Bus(s);
        LOG.info("Packet bus started: pool {}, hold grace {} ms, required stages {}, stage filter '{}'",
                bus.allocator(), s.holdGraceMs(), s.requiredStages(), s.stageFilter());
    }

    @Modified
    void modified(Map<String, Object> config) {
        BusConfigValidator.Result r = BusConfigValidator.validate(config, "keeping the last good configuration");
        if (!r.ok()) {
            LOG.error(r.refusal());
            return;
        }
        bus.configure(r.settings());
        LOG.info("Packet bus reconfigured: hold grace {} ms, required stages {}, stage filter '{}'",
                r.settings().holdGraceMs(), r.settings().requiredStages(), r.settings().stageFilter());
    }

    @Deactivate
    void deactivate() {
        bus.close();
    }

    /** The bus itself, for the other components of this bundle (Gogo commands, devices). */
    public Bus bus() {
        return bus;
    }

    // ---- whiteboard ----

    @Reference(service = Stage.class, cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addStage(Stage stage, ServiceReference<Stage> ref) {
        bus.addStage(stage, props(ref));
    }

    void updatedStage(Stage stage, ServiceReference<Stage> ref) {
        bus.addStage(stage, props(ref));
    }

    void removeStage(Stage stage) {
        bus.removeStage(stage);
    }

    @Reference(service = PacketSink.class, cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, target = "(" + PacketSink.DIRECTION + "=*)")
    void addSink(PacketSink sink, ServiceReference<PacketSink> ref) {
        bus.addSink(sink, props(ref));
    }

    void updatedSink(PacketSink sink, ServiceReference<PacketSink> ref) {
        bus.addSink(sink, props(ref));
    }

    void removeSink(PacketSink sink) {
        bus.removeSink(sink);
    }

    private static Map<String, Object> props(ServiceReference<?> ref) {
        Map<String, Object> m = new HashMap<>();
        for (String k : ref.getPropertyKeys()) {
            m.put(k, ref.getProperty(k));
        }
        Bundle b = ref.getBundle();
        if (b != null) {
            m.put(Bus.BUNDLE_PROPERTY, b.getSymbolicName() + " " + b.getVersion());
        }
        return m;
    }

    // ---- PacketBus ----

    @Override
    public void submit(Direction direction, PacketBatch batch) {
        bus.submit(direction, batch);
    }

    @Override
    public void submit(Direction direction, Packet packet) {
        bus.submit(direction, packet);
    }

    @Override
    public void inject(Direction direction, Packet packet, int fromOrder) {
        bus.inject(direction, packet, fromOrder);
    }

    @Override
    public PacketAllocator allocator() {
        return bus.allocator();
    }

    @Override
    public List<StageInfo> chain(Direction direction) {
        return bus.chain(direction);
    }

    @Override
    public Map<String, Long> counters() {
        return bus.counters();
    }
}
