package org.tunnelbus.management.openvpn.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.tunnelbus.api.handshake.TunnelConfig;
import org.tunnelbus.api.session.SessionState;
import org.tunnelbus.testsupport.TestSession;

class StatusFormatTest {
    private static final Instant NOW = Instant.ofEpochSecond(1_796_663_765L);

    private static TestSession alice() {
        TestSession s = new TestSession("alice", 7);
        s.remote(new InetSocketAddress("10.202.0.2", 56345));
        s.set(TunnelConfig.KEY, new TunnelConfig("10.9.0.2/24", "10.9.0.1", "subnet", "AES-256-GCM", 10, 60, List.of(),
                List.of()));
        s.countIn(2353);
        s.countOut(2242);
        return s;
    }

    @Test
    void version1HasStocksSectionsAndColumns() {
        TestSession s = alice();
        String since = StatusFormat.TIME.format(s.since());
        assertEquals(List.of("OpenVPN CLIENT LIST", "Updated," + StatusFormat.TIME.format(NOW),
                "Common Name,Real Address,Bytes Received,Bytes Sent,Connected Since",
                "alice,10.202.0.2:56345,2353,2242," + since,
                "ROUTING TABLE", "Virtual Address,Common Name,Real Address,Last Ref",
                "10.9.0.2,alice,10.202.0.2:56345," + since,
                "GLOBAL STATS", "Max bcast/mcast queue length,0", "END"), StatusFormat.format(1, "T", NOW, List.of(s)));
    }

    @Test
    void versions2And3HaveHeadersAndTheSameFieldsWithCommasOrTabs() {
        TestSession s = alice();
        TestSession handshaking = new TestSession("", 8);
        handshaking.state(SessionState.HANDSHAKE);
        handshaking.remote(new InetSocketAddress("10.202.0.3", 1));
        TestSession closing = new TestSession("bob", 9);
        closing.state(SessionState.CLOSING);
        List<String> v2 = StatusFormat.format(2, "OpenVPN 2.6 (Tunnelbus)", NOW, List.of(s, handshaking, closing));
        String since = StatusFormat.TIME.format(s.since());
        long t = s.since().getEpochSecond();
        assertEquals(List.of("TITLE,OpenVPN 2.6 (Tunnelbus)", "TIME," + StatusFormat.TIME.format(NOW) + ",1796663765",
                "HEADER,CLIENT_LIST,Common Name,Real Address,Virtual Address,Virtual IPv6 Address,Bytes Received,Bytes Sent,"
                        + "Connected Since,Connected Since (time_t),Username,Client ID,Peer ID,Data Channel Cipher",
                "CLIENT_LIST,alice,10.202.0.2:56345,10.9.0.2,,2353,2242," + since + "," + t + ",UNDEF," + s.id() + ",7,AES-256-GCM",
                "CLIENT_LIST,UNDEF,10.202.0.3:1,,,0,0," + StatusFormat.TIME.format(handshaking.since()) + ","
                        + handshaking.since().getEpochSecond() + ",UNDEF," + handshaking.id() + ",8,",
                "HEADER,ROUTING_TABLE,Virtual Address,Common Name,Real Address,Last Ref,Last Ref (time_t)",
                "ROUTING_TABLE,10.9.0.2,alice,10.202.0.2:56345," + since + "," + t,
                "GLOBAL_STATS,Max bcast/mcast queue length,0", "GLOBAL_STATS,dco_enabled,0", "END"), v2);
        List<String> v3 = StatusFormat.format(3, "OpenVPN 2.6 (Tunnelbus)", NOW, List.of(s, handshaking, closing));
        assertEquals(v2.stream().map(l -> l.replace(',', '\t')).toList(), v3, "version 3 is version 2 with tabs");
    }

    @Test
    void clientEnvNetmasks() {
        assertEquals("255.255.255.0", ClientEnv.netmask("10.8.0.2/24"));
        assertEquals("255.255.255.252", ClientEnv.netmask("10.8.0.6/30"));
        assertEquals("255.255.255.255", ClientEnv.netmask("10.8.0.6"));
        assertEquals("0.0.0.0", ClientEnv.netmask("0.0.0.0/0"));
    }
}
