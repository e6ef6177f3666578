/**
 * The OpenVPN data path: the four stages this bundle puts on the bus, and the packet formats they use. One packet,
 * end to end, both ways (wire reference §1.2, §6):
 *
 * <pre>
 *  INCOMING  (transport thread, one batch at a time; no lock, lookup or allocation per packet)
 *
 *   UDP/TCP socket ─▶ link.PacketDemux (listener or client connection)
 *        │  opcode 9 P_DATA_V2: session by the 24-bit peer-id     ─┐  packet.session() set
 *        │  opcode 6 P_DATA_V1: session by source address          ├─▶ bus INCOMING
 *        │  anything else unknown: no session                      ─┘
 *        └  control opcodes ─▶ ControlInbox ─▶ control thread (channel.ControlChannel)
 *
 *   ENCAP   100  DataDecapStage   header length, session open, a data key for the key id
 *                                 mark |= DECAPSULATED | key id (bits 0-2)
 *   CRYPTO  200  DataOpenStage    AEAD open in place with the key id's key (DataPacketOpener), replay window
 *                                 after authentication, header + packet id + tag stripped, bytes counted in,
 *                                 float to the authenticated source; keepalive pings and OCC consumed here
 *                                 mark &= ~(DECAPSULATED | key id)
 *   COMPRESS 300, MANGLE 400, ROUTE 500 (other bundles) ─▶ the TUN device, or another session (client-to-client)
 *
 *  OUTGOING  (the device's thread, or the thread that injected the packet)
 *
 *   TUN device ─▶ MANGLE 100 ─▶ ROUTE 200 (packet.session() = the peer) ─▶ COMPRESS 300
 *        (keepalive pings and OCC messages enter here, after ROUTE: link.DataInjector)
 *   CRYPTO  400  DataSealStage    the session's sending key and packet-id counter, P_DATA_V2 header with its
 *                                 peer-id (or P_DATA_V1), AEAD seal in place (DataPacketSealer), bytes counted out
 *                                 mark |= SEALED
 *   ENCAP   500  TransmitStage    refuses anything not SEALED (a chain without its crypto stage never leaks
 *                                 plaintext); address = session.remote() (follows a float); sink = the session's
 *                                 TransportLink (link.TransportLinkSink, one per listener / connection)
 *                                 mark &= ~SEALED
 *        ─▶ TransportLinkSink batches per thread ─▶ Transport.send ─▶ socket
 * </pre>
 *
 * <h2>Mark bits ({@link org.tunnelbus.api.packet.Packet#mark()})</h2>
 * The stages hand facts to each other in high bits of the packet's mark, so stages of other modules keep the low
 * ones ({@link org.tunnelbus.openvpn.internal.datapath.Marks}):
 * <ul>
 *   <li>bits 0-2, with {@code DECAPSULATED} (bit 28), INCOMING only: the key id the decapsulation stage checked;
 *       the decryption stage refuses a packet without {@code DECAPSULATED} ({@code not-decapsulated}) and clears
 *       both;</li>
 *   <li>{@code SEALED} (bit 29), OUTGOING only: set by the encryption stage, required and cleared by the transmit
 *       stage ({@code not-sealed}).</li>
 * </ul>
 *
 * <h2>State</h2>
 * Keys, packet-id counters and replay windows live in the {@link org.tunnelbus.api.session.Session}
 * ({@link org.tunnelbus.api.crypto.DataKeys}); the stages keep only cipher contexts rebuilt from it, so an updated
 * stage or another crypto provider takes over live sessions (DESIGN invariant 4). Every drop is a counted
 * {@link org.tunnelbus.api.pipeline.Verdict} ({@code incoming.openvpn-open.drop.replay}, ...), never an exception.
 */
package org.tunnelbus.openvpn.internal.datapath;
