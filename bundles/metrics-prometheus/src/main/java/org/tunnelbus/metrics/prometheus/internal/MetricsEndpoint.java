package org.tunnelbus.metrics.prometheus.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tunnelbus.api.pipeline.CounterSource;
import org.tunnelbus.api.pipeline.PacketBus;
import org.tunnelbus.api.session.Session;
import org.tunnelbus.api.session.SessionListener;
import org.tunnelbus.api.session.SessionRegistry;
import org.tunnelbus.api.session.SessionState;

/**
 * {@code GET /metrics} on the web console's HTTP service (127.0.0.1, the console's port), in Prometheus's text
 * format, written by the Prometheus Java client from its own registry: Tunnelbus's metrics
 * ({@link TunnelbusCollector}) and the JVM's ({@link JvmMetrics}). Not behind the console's login (Prometheus
 * scrapes without one); the HTTP service listens on loopback only, and no metric names a client.
 */
@Component(service = {Servlet.class, SessionListener.class}, immediate = true, property = {
    "osgi.http.whiteboard.servlet.pattern=/metrics",
    "osgi.http.whiteboard.servlet.name=tunnelbus-metrics"})
public final class MetricsEndpoint extends HttpServlet implements SessionListener {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(MetricsEndpoint.class);

    private final transient PrometheusRegistry registry = new PrometheusRegistry();
    private final transient HandshakeOutcomes handshakes = new HandshakeOutcomes();
    private final transient List<CounterSource> sources = new CopyOnWriteArrayList<>();
    private final transient PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

    @Activate
    public MetricsEndpoint(@Reference SessionRegistry sessions, @Reference PacketBus bus) {
        registry.register(new TunnelbusCollector(sessions::sessions, bus, () -> sources, handshakes));
        try {
            JvmMetrics.builder().register(registry);
        } catch (LinkageError e) { // com.sun.management not exported by the framework: Tunnelbus's metrics still work
            LOG.warn("JVM metrics unavailable: {}", e.toString());
        }
        LOG.info("Prometheus metrics at /metrics on the web console's HTTP service");
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindCounterSource(CounterSource s) {
        sources.add(s);
    }

    void unbindCounterSource(CounterSource s) {
        sources.remove(s);
    }

    @Override
    public void stateChanged(Session session, SessionState previous) {
        handshakes.stateChanged(session, previous);
    }

    @Override
    public void closed(Session session, String reason) {
        handshakes.closed(session, reason);
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setContentType(writer.getContentType());
        try (OutputStream out = resp.getOutputStream()) {
            writer.write(out, registry.scrape(), io.prometheus.metrics.config.EscapingScheme.UNDERSCORE_ESCAPING);
        }
    }

    Collection<CounterSource> sources() {
        return sources;
    }
}
