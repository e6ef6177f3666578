package org.tunnelbus.core.internal.session;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tunnelbus.api.session.Session;
import org.tunnelbus.api.session.SessionListener;
import org.tunnelbus.api.session.SessionRegistry;
import org.tunnelbus.api.session.SessionState;
import org.tunnelbus.core.internal.config.ConfigReader;

/**
 * All live sessions, registered as the {@link SessionRegistry} service.
 *
 * <p>Peer-ids are dense, {@code 0 .. max.sessions-1}, handed out next-fit (a freed id is reused only after
 * the others, so late packets of a closed session rarely meet its successor). {@link #byPeerId} reads one
 * slot of an array with acquire semantics: no lock, no allocation. Opening and closing take the
 * registry's monitor; {@link SessionListener}s are told afterwards, outside it.
 */
@Component(service = SessionRegistry.class, configurationPid = SessionConfig.PID, immediate = true)
@Designate(ocd = SessionConfig.class)
public final class SessionRegistryImpl implements SessionRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(SessionRegistryImpl.class);
    private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(SessionImpl[].class);

    /** 24-bit peer-id; 0xFFFFFF means "no peer-id" on the wire. */
    static final int MAX_PEER_IDS = 0xFFFFFF;

    private final List<SessionListener> listeners = new CopyOnWriteArrayList<>();
    private final Map<Long, SessionImpl> byId = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private volatile SessionImpl[] byPeer;
    private int max;
    private int cursor;
    private int live;

    /** Plain constructor for tests and embedding. */
    public SessionRegistryImpl(int maxSessions) {
        if (maxSessions < 1 || maxSessions > MAX_PEER_IDS) {
            throw new IllegalArgumentException("max.sessions " + maxSessions);
        }
        max = maxSessions;
        byPeer = new SessionImpl[maxSessions];
    }

    @Activate
    public SessionRegistryImpl(Map<String, Object> config) {
        this(validate(config, "starting with the defaults", 4096));
    }

    @Modified
    void modified(Map<String, Object> config) {
        int n;
        synchronized (this) {
            n = validate(config, "keeping the last good configuration", max);
            if (n > byPeer.length) {
                byPeer = Arrays.copyOf(byPeer, n);
            }
            max = n;
        }
        LOG.info("Session registry: max.sessions={} (sessions with higher peer-ids keep running)", n);
    }

    private static int validate(Map<String, Object> config, String consequence, int fallback) {
        ConfigReader r = new ConfigReader(SessionConfig.PID, config);
        int n = r.integer("max.sessions", 4096, 1, MAX_PEER_IDS);
        if (!r.ok()) {
            LOG.error(r.refusal(consequence));
            return fallback;
        }
        return n;
    }

    @Reference(service = SessionListener.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    public void addListener(SessionListener l) {
        listeners.add(l);
    }

    public void removeListener(SessionListener l) {
        listeners.remove(l);
    }

    /**
     * @throws IllegalStateException when all {@code max.sessions} peer-ids are in use
     */
    @Override
    public Session open(InetSocketAddress remote) {
        SessionImpl s;
        synchronized (this) {
            if (live >= max) {
                throw new IllegalStateException("no free peer-id: all " + max + " sessions (max.sessions) are in use");
            }
            SessionImpl[] table = byPeer;
            int id = -1;
            for (int k = 0; k < max; k++) {
                int i = (cursor + k) % max;
                if (table[i] == null) {
                    id = i;
                    break;
                }
            }
            if (id < 0) {
                throw new IllegalStateException("no free peer-id below max.sessions=" + max);
            }
            cursor = (id + 1) % max;
            s = new SessionImpl(ids.incrementAndGet(), id, remote, this::stateChanged);
            byId.put(s.id(), s);
            SLOTS.setRelease(table, id, s);
            live++;
        }
        for (SessionListener l : listeners) {
            try {
                l.opened(s);
            } catch (RuntimeException e) {
                LOG.warn("session listener {} failed on open of {}", l, s, e);
            }
        }
        return s;
    }

    /** Passes a state change on to the listeners (not CLOSED: {@link #close} tells them with its reason). */
    private void stateChanged(SessionImpl s, SessionState previous) {
        if (s.state() == SessionState.CLOSED) {
            return;
        }
        for (SessionListener l : listeners) {
            try {
                l.stateChanged(s, previous);
            } catch (RuntimeException e) {
                LOG.warn("session listener {} failed on state change of {}", l, s, e);
            }
        }
    }

    @Override
    public Session byPeerId(int peerId) {
        SessionImpl[] table = byPeer;
        if (peerId < 0 || peerId >= table.length) {
            return null;
        }
        return (SessionImpl) SLOTS.getAcquire(table, peerId);
    }

    @Override
    public Session byId(long id) {
        return byId.get(id);
    }

    @Override
    public Collection<Session> sessions() {
        return List.copyOf(new ArrayList<>(byId.values()));
    }

    @Override
    public void close(Session session, String reason) {
        if (!(session instanceof SessionImpl s)) {
            throw new IllegalArgumentException("not a session of this registry: " + session);
        }
        synchronized (this) {
            if (byId.remove(s.id()) == null) {
                return; // closed already
            }
            s.state(SessionState.CLOSED);
            SessionImpl[] table = byPeer;
            if (s.peerId() < table.length && table[s.peerId()] == s) {
                SLOTS.setRelease(table, s.peerId(), (SessionImpl) null);
            }
            live--;
        }
        for (SessionListener l : listeners) {
            try {
                l.closed(s, reason);
            } catch (RuntimeException e) {
                LOG.warn("session listener {} failed on close of {}", l, s, e);
            }
        }
    }

    /** Live sessions. */
    public synchronized int size() {
        return live;
    }
}
