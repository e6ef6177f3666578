package org.tunnelbus.webconsole.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.apache.felix.webconsole.servlet.AbstractServlet;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tunnelbus.api.pipeline.CounterSource;
import org.tunnelbus.api.pipeline.PacketBus;
import org.tunnelbus.api.session.PeerControl;
import org.tunnelbus.api.session.Session;
import org.tunnelbus.api.session.SessionRegistry;
import org.tunnelbus.api.tls.TlsEngineFactory;

/**
 * The "Tunnelbus" page of the web console ({@code /system/console/tunnelbus}): live sessions refreshed every two
 * seconds without reloading, a session's throughput graph (last five minutes) and details, kick, both packet
 * chains with each slot's provider bundle, counters, held packets and drops by reason, the listeners, and the SSL
 * module of a listener switched from the page (written to its configuration file).
 *
 * <p>Routes under the page: {@code GET /tunnelbus} the page; {@code GET /tunnelbus/data.json} everything the page
 * refreshes; {@code GET /tunnelbus/session.json?id=N} one session; {@code POST /tunnelbus} with
 * {@code action=kick&id=N} or {@code action=provider&pid=PID&provider=NAME}. The web console does the login.
 */
@Component(service = Servlet.class, immediate = true, property = {
    "felix.webconsole.label=" + TunnelbusPage.LABEL,
    "felix.webconsole.title=Tunnelbus",
    "felix.webconsole.category=Tunnelbus"})
public final class TunnelbusPage extends AbstractServlet {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(TunnelbusPage.class);
    static final String LABEL = "tunnelbus";

    private final transient SessionRegistry registry;
    private final transient PacketBus bus;
    private final transient ConfigurationAdmin admin;
    private final transient Listeners listeners = new Listeners();
    private final transient Throughput throughput = new Throughput();
    private final transient ScheduledExecutorService sampler;

    @Activate
    public TunnelbusPage(@Reference SessionRegistry registry, @Reference PacketBus bus, @Reference ConfigurationAdmin admin) {
        this.registry = registry;
        this.bus = bus;
        this.admin = admin;
        this.sampler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tunnelbus-webconsole-throughput");
            t.setDaemon(true);
            return t;
        });
        sampler.scheduleAtFixedRate(this::sample, 0, Throughput.PERIOD_MS, TimeUnit.MILLISECONDS);
    }

    private void sample() {
        try {
            throughput.sample(registry.sessions(), System.currentTimeMillis());
        } catch (RuntimeException e) {
            LOG.warn("throughput sample failed", e);
        }
    }

    @Deactivate
    void deactivate() {
        sampler.shutdownNow();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindCounterSource(CounterSource s, Map<String, Object> props) {
        listeners.add(s, props);
    }

    void unbindCounterSource(CounterSource s) {
        listeners.remove(s);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindTls(TlsEngineFactory f, Map<String, Object> props) {
        listeners.addTlsProvider(f, (String) props.get(TlsEngineFactory.PROVIDER));
    }

    void unbindTls(TlsEngineFactory f) {
        listeners.removeTlsProvider(f);
    }

    /**
     * The JSON routes are answered here; anything else falls through to the console, which then renders the page
     * with its header and menu ({@link #renderContent}).
     */
    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws jakarta.servlet.ServletException, IOException {
        String path = req.getPathInfo() == null ? "" : req.getPathInfo();
        if (path.endsWith("/data.json")) {
            json(resp, overview());
        } else if (path.endsWith("/session.json")) {
            Session s = session(req.getParameter("id"));
            if (s == null) {
                resp.sendError(HttpServletResponse.SC_NOT_FOUND, "no such session");
                return;
            }
            JsonWriter w = new JsonWriter();
            SessionsJson.details(w, s, throughput, ChainsJson.stages(bus));
            json(resp, w.toString());
        } else {
            super.doGet(req, resp);
        }
    }

    @Override
    public void renderContent(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.getWriter().write(page());
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String action = String.valueOf(req.getParameter("action"));
        JsonWriter w = new JsonWriter().beginObject();
        try {
            String message = switch (action) {
                case "kick" -> kick(req.getParameter("id"));
                case "provider" -> ProviderSwitch.tls(admin, req.getParameter("pid"), String.valueOf(req.getParameter("provider")),
                        listeners.tlsProviders());
                default -> throw new IllegalArgumentException("unknown action '" + action + "'");
            };
            LOG.info("Web console: {}", message);
            w.name("ok").value(true).field("message", message);
        } catch (IllegalArgumentException | InvalidSyntaxException e) {
            resp.setStatus(HttpServletResponse.SC_BAD_REQUEST);
            w.name("ok").value(false).field("message", e.getMessage());
        }
        json(resp, w.endObject().toString());
    }

    /** Tells the client to stop (stock {@code HALT}: it logs it and exits) and ends its session. */
    private String kick(String id) {
        Session s = session(id);
        if (s == null) {
            throw new IllegalArgumentException("no session " + id);
        }
        PeerControl.end(registry, s, PeerControl.Notice.HALT, "kicked from the web console");
        return "kicked " + (s.name().isEmpty() ? "session " + s.id() : s.name()) + " (" + s.remote() + ")";
    }

    private Session session(String id) {
        try {
            return id == null ? null : registry.byId(Long.parseLong(id));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private String overview() {
        JsonWriter w = new JsonWriter().beginObject();
        SessionsJson.table(w, registry.sessions(), throughput);
        ChainsJson.write(w, bus);
        listeners.write(w);
        return w.endObject().toString();
    }

    private static void json(HttpServletResponse resp, String body) throws IOException {
        resp.setContentType("application/json");
        resp.setCharacterEncoding("UTF-8");
        setNoCache(resp);
        resp.getWriter().write(body);
    }

    /** The page: markup, style and script from this bundle's resources, in one piece. */
    private String page() throws IOException {
        return "<style>" + resource("tunnelbus.css") + "</style>\n" + resource("tunnelbus.html")
                + "\n<script>" + resource("tunnelbus.js") + "</script>\n";
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = TunnelbusPage.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
