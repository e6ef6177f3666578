package org.tunnelbus.openvpn.internal.channel;

import java.util.List;

import org.tunnelbus.api.handshake.AgreementOptions;
import org.tunnelbus.api.handshake.OptionMismatch;
import org.tunnelbus.openvpn.internal.control.IvProtoFlag;
import org.tunnelbus.openvpn.internal.control.PeerInfo;
import org.tunnelbus.openvpn.internal.occ.OccCipher;
import org.tunnelbus.openvpn.internal.occ.OccComparator;
import org.tunnelbus.openvpn.internal.occ.OccConfig;
import org.tunnelbus.openvpn.internal.occ.OccStringBuilder;

/**
 * The agreement model: we are a stock 2.6 TLS peer without {@code --server}/{@code --pull} ({@code ssl_ncp.c
 * p2p_mode_ncp()}), the TLS server of a listener or the TLS client of a client connection (the role comes with the
 * {@link OccConfig}). Nothing is pushed, so each side derives the same choices from the other's peer-info: we
 * announce {@code IV_PROTO} with NCP_P2P (and TLS_KEY_EXPORT when our TLS provider has the exporter) and our
 * {@code IV_CIPHERS}; tls-ekm is used when both sides announce it.
 *
 * <p>We do not announce DATA_V2, so the peer sends P_DATA_V1 and so do we: with it, stock p2p derives the peer-id
 * from the TLS exporter, while our listener finds P_DATA_V2 packets by the peer-id it assigned itself.
 */
public final class AgreementModel implements ConfigModel {
    /** Peer-info version: what the p2p items follow. */
    static final String VERSION = "2.6.14";

    private final String ownOptions;
    private final String expectedOptions;
    private final String ciphers;

    public AgreementModel(OccConfig base, AgreementOptions agreement) {
        // the options string names the configured --cipher; unset is stock's BF-CBC placeholder
        OccConfig occ = base.withCipher(agreement.cipher() == null ? OccCipher.BF_CBC : OccCipher.ofName(agreement.cipher()));
        ownOptions = OccStringBuilder.p2pLocal(occ, agreement.local(), agreement.remote());
        expectedOptions = OccStringBuilder.p2pExpectedRemote(occ, agreement.local(), agreement.remote());
        ciphers = String.join(":", agreement.dataCiphers());
    }

    /** How the peer's options string differs from a mirror image of ours (stock's warnings, one per item). */
    public List<OptionMismatch> mismatches(String peerOptions) {
        return OccComparator.compare(expectedOptions, peerOptions).stream()
                .map(w -> new OptionMismatch(w.option(), w.message())).toList();
    }

    @Override
    public String ownOptions() {
        return ownOptions;
    }

    @Override
    public String expectedOptions() {
        return expectedOptions;
    }

    @Override
    public String peerInfo(boolean exporter) {
        // IvProtoFlag.encode() insists on DATA_V2 (old p2mp servers test IV_PROTO >= 2); p2p peers test bits only
        int proto = IvProtoFlag.NCP_P2P.mask() | (exporter ? IvProtoFlag.TLS_KEY_EXPORT.mask() : 0);
        return PeerInfo.builder().put(PeerInfo.IV_VER, VERSION).put(PeerInfo.IV_PROTO, Integer.toString(proto))
                .put(PeerInfo.IV_CIPHERS, ciphers).build().encode();
    }

    @Override
    public boolean ekm(PeerInfo peer, boolean exporter) {
        // p2p_ncp_set_options(): only with a peer that does p2p NCP and announced the exporter
        return exporter && peer.has(IvProtoFlag.NCP_P2P) && peer.has(IvProtoFlag.TLS_KEY_EXPORT);
    }

    @Override
    public boolean dataV2(PeerInfo peer) {
        return false;
    }

    @Override
    public boolean pushes() {
        return false;
    }
}
