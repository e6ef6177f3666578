package org.tunnelbus.api.pipeline;

import java.util.Map;

/**
 * Counters a module keeps outside the bus's stages: a listener's control packets and refusals, the socket of
 * its transport. Registered as a whiteboard service by the module that owns the counters (one per listener,
 * for example); read by the management module, which prints them after the bus's own counters as
 * {@code name() + "." + key} ({@code tunnelbus counters}).
 */
public interface CounterSource {
    /** The prefix of this source's counters, unique among sources, e.g. {@code openvpn.default}. */
    String name();

    /** A consistent-enough snapshot, key to value; thread-safe and cheap (read on demand, never per packet). */
    Map<String, Long> counters();
}
