package org.tunnelbus.openvpn.internal;

/**
 * The known-answer vectors of openvpn-wire-protocol.md §8, verbatim, plus the few extra packets of
 * {@code tests/unit_tests/openvpn/test_pkt.c} (release/2.6) that §8.1 names but abbreviates.
 */
public final class ReferenceVectors {
    private ReferenceVectors() {
    }

    // §8.1(a) TLS 1.0 PRF (test_crypto.c crypto_test_tls_prf)
    public static final String PRF_SECRET = "Lorem ipsum dolor sit amet, consectetur adipisici elit, sed eiusmod tempor "
            + "incidunt ut labore et dolore magna aliqua.";
    public static final String PRF_SEED = "Quis aute iure reprehenderit in voluptate velit esse cillum dolore";
    public static final String PRF_OUTPUT = "d98c8518c85e946927916acfc2d592fbb1567e4b4b1459e6a904ac2ddab72d67";

    // §8.1(b) static key of test_pkt.c, as the <tls-auth> inline block it is there
    public static final String TEST_PKT_STATIC_KEY = "<tls-auth>\n"
            + "-----BEGIN OpenVPN Static key V1-----\n"
            + "37268ea8f95d7f71f9fb8fc03770c460\n"
            + "daf714a483d815c013ce0a537efc18f2\n"
            + "8f4f172669d9e6a413bac6741d8ea054\n"
            + "00f49b7fd6326470f23798c606bf53d4\n"
            + "de63ebc64ec59d57ce5d04d5b62e68b5\n"
            + "3ca6e5354351097fa370446c4d269f18\n"
            + "7bb6ae54af2dc70ff7317fe2f8754b82\n"
            + "82aad4202f9fa42c8640245d883e2c54\n"
            + "a0c1c489a036cf3a8964d8d289c1583b\n"
            + "9447c262b1da5fd167a5d27bd5ac5143\n"
            + "17bc2343a31a2efc38dd920d910375f5\n"
            + "1c2e27f3afd36c49269da079f7ce466e\n"
            + "bb0f9ad13e9bbb4665974e6bc24b513c\n"
            + "5700393bf4a3e7f967e2f384069ac8a8\n"
            + "e78b18b15604993fd16515cce9c0f3e4\n"
            + "2b4126b999005ade802797b0eeb8b9e6\n"
            + "-----END OpenVPN Static key V1-----\n"
            + "</tls-auth>\n";
    public static final String TEST_PKT_STATIC_KEY_HEX = "37268ea8f95d7f71f9fb8fc03770c460 daf714a483d815c013ce0a537efc18f2"
            + " 8f4f172669d9e6a413bac6741d8ea054 00f49b7fd6326470f23798c606bf53d4 de63ebc64ec59d57ce5d04d5b62e68b5"
            + " 3ca6e5354351097fa370446c4d269f18 7bb6ae54af2dc70ff7317fe2f8754b82 82aad4202f9fa42c8640245d883e2c54"
            + " a0c1c489a036cf3a8964d8d289c1583b 9447c262b1da5fd167a5d27bd5ac5143 17bc2343a31a2efc38dd920d910375f5"
            + " 1c2e27f3afd36c49269da079f7ce466e bb0f9ad13e9bbb4665974e6bc24b513c 5700393bf4a3e7f967e2f384069ac8a8"
            + " e78b18b15604993fd16515cce9c0f3e4 2b4126b999005ade802797b0eeb8b9e6";

    public static final String CLIENT_RESET_V2_NONE = "38 6891923fa3103437 00 00000000";
    public static final String CLIENT_RESET_V2_TLS_AUTH =
            "38 de694c5c7bfba274 | 93537c1ded4e781529ae7cfe4b8c6d6b2b51f05a | 00000001 61d3bf6c | 00 | 00000000";
    /** Full 54 bytes from test_pkt.c (§8.1(b) prints only its start). */
    public static final String CLIENT_RESET_V2_TLS_CRYPT = "38 f419cb12d1f9e48f | 00000001 61d3f8e1 | "
            + "330206f56802be44fbed905064e3db43416bec5e526719462b7eb90c96defc9b05c44879f7";
    /** Truncated in test_pkt.c too: the TLS record that follows is cut after 3 bytes. */
    public static final String CLIENT_CONTROL_WITH_ACK = "20 7819bf2ebcd19a45 01 00000000 eafebfa4418ae31b 00000001 160301";
    public static final String CLIENT_ACK_NONE_RANDOM_ID = "28 aeb9afe1f01d79c8 01 00000000 dd85db535623b02e";
    public static final String CLIENT_ACK_123_NONE_RANDOM_ID =
            "28 aeb9afe1f01d79c8 03 00000000 00000001 00000002 dd85db535623b02e";
    /** test_pkt.c: "P_CONTROL_V1, acks 0, msg-id 2" — but the echoed session id is cut off after one byte. */
    public static final String CLIENT_CONTROL_NONE_RANDOM_ID = "20 aeb9afe1f01d79c8 01 00000000 02";
    /** test_pkt.c client_ack_tls_auth_randomid: a valid tls-auth (SHA1, key direction 1) CONTROL_V1 + ClientHello. */
    public static final String CLIENT_ACK_TLS_AUTH_RANDOMID = "20 14014ebc80c6142b 7bc876fbc52e27b1c507355bb6006bae71ba4e38 00000003 61d3ff53 00 00000001 "
            + "160301010c0100010803038caaac3a1a07bde7b750069b940c344b5a35cac479bdc909b07bd9eebb7de725203938e218"
            + "3336149f34f04459968d0ed24776648859e9380397969845fbf5ff230032130213031301c02cc030009fcca9cca8ccaa"
            + "c02bc02f009ec024c028006bc023c0270067c00ac0140039c009c013003300ff0100008d000b000403000102000a000c"
            + "000a001d0017001e001900180016000000170000000d0030002e040305030603080708080809080a080b080408050806"
            + "040105010601030302030301020103020202040205020602002b00050403040303002d00020101003300260024001d00"
            + "200ec97aff58db56f640d1eddb9181d6ef83868ab23d88923fd8519cd62656336b";

    // §8.1(c) tls-crypt wrap with Ke = Ka = 32 x 0xBA, header = replay id only, plaintext "1234567890"
    public static final String TLS_CRYPT_RENEG_OUTPUT = "00000001 00000000 | "
            + "e319277f1c8d6e6a7796a855337b9cfb56e1f13a870e6647dfa195c92c17a015 | ba4967a11d55ea1a06a7";

    // §8.1(d) tls-crypt-v2 keys of test_tls_crypt.c
    public static final String TLS_CRYPT_V2_SERVER_KEY = "-----BEGIN OpenVPN tls-crypt-v2 server key-----\n"
            + "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4v\n"
            + "MDEyMzQ1Njc4OTo7PD0+P0BBQkNERUZHSElKS0xNTk9QUVJTVFVWV1hZWltcXV5f\n"
            + "YGFiY2RlZmdoaWprbG1ub3BxcnN0dXZ3eHl6e3x9fn8=\n"
            + "-----END OpenVPN tls-crypt-v2 server key-----\n";
    public static final String TLS_CRYPT_V2_CLIENT_KEY = "-----BEGIN OpenVPN tls-crypt-v2 client key-----\n"
            + "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4v\n"
            + "MDEyMzQ1Njc4OTo7PD0+P0BBQkNERUZHSElKS0xNTk9QUVJTVFVWV1hZWltcXV5f\n"
            + "YGFiY2RlZmdoaWprbG1ub3BxcnN0dXZ3eHl6e3x9fn+AgYKDhIWGh4iJiouMjY6P\n"
            + "kJGSk5SVlpeYmZqbnJ2en6ChoqOkpaanqKmqq6ytrq+wsbKztLW2t7i5uru8vb6/\n"
            + "wMHCw8TFxsfIycrLzM3Oz9DR0tPU1dbX2Nna29zd3t/g4eLj5OXm5+jp6uvs7e7v\n"
            + "8PHy8/T19vf4+fr7/P3+/xd9pcB0qUYZsWvkrLcfGmzPJPM8a7r0mEWdXwbDadSV\n"
            + "LHg5bv2TwlmPR3HgaMr8o9LTh9hxUTkrH3S0PfKRNwcso86ua/dBFTyXsM9tg4aw\n"
            + "3dS6ogH9AkaT+kRRDgNcKWkQCbwmJK2JlfkXHBwbAtmn78AkNuho6QCFqCdqGab3\n"
            + "zh2vheFqGMPdGpukbFrT3rcO3VLxUeG+RdzXiMTCpJSovFBP1lDkYwYJPnz6daEh\n"
            + "j0TzJ3BVru9W3CpotdNt7u09knxAfpCxjtrP3semsDew/gTBtcfQ/OoTFyFHnN5k\n"
            + "RZ+q17SC4nba3Pp8/Fs0+hSbv2tJozoD8SElFq7SIWJsciTYh8q8f5yQxjdt4Wxu\n"
            + "/Z5wtPCAZ0tOzj4ItTI77fBOYRTfEayzHgEr\n"
            + "-----END OpenVPN tls-crypt-v2 client key-----\n";

    // §8.2 captured stock 2.6.14 session (--tls-crypt)
    public static final String CAPTURE_TLS_CRYPT_KEY = "-----BEGIN OpenVPN Static key V1-----\n"
            + "36571a656c98bcf4bf5e527a7e3986c8\n"
            + "ce4a045afa22a07073ae0d8e5b032258\n"
            + "2112aa001b2d8165dabc1d8d17745c69\n"
            + "3c52eae0a223d96599d8d27aaf407b47\n"
            + "0da71b67b717c4319ad3fc2dea226db8\n"
            + "c1ee57f84ff103fa10ab830667a5f6cd\n"
            + "e64f19fdb8b1ee25506fb87483bf54b2\n"
            + "2dba951dd777dabd39d5bfed3b1c6f07\n"
            + "b125b983ff77eee67d0802d70981f585\n"
            + "d916fe6860b04f7d3999875e895395a1\n"
            + "b33676d205353ad9af914ae4cd8bc23a\n"
            + "3b54a65475628a5ffe4f768b8116dfc9\n"
            + "673d13f6a2cde3baf6070b50826db481\n"
            + "f7518ad8d986738a078bd3b3fc4d433e\n"
            + "59ffc51eac6a2836fd8ce00789293515\n"
            + "6d983694202099fddacf5e1b56b37eed\n"
            + "-----END OpenVPN Static key V1-----\n";
    public static final String CAPTURE_CLIENT_RESET = "388ea1e93689d0ab63000000016b06a8a181ebb1e875297f6d7796aab2ed33f162a5"
            + "a75badac0cf5afb79b8b4de7366c3b9ed6bc9ab9";
    public static final String CAPTURE_CLIENT_RESET_PLAINTEXT = "00 00000000";
    public static final String CAPTURE_SERVER_RESET = "4064aaba152b7a2743000000016b06a8a17499763eaa3623299f7edf8067d13a21"
            + "6ab7d341e116f9ba06133f81e4bdbd0e773b43234f9fc6833faa8611cf294dfd6b";
    public static final String CAPTURE_SERVER_RESET_PLAINTEXT = "01 00000000 8ea1e93689d0ab63 00000000";
    public static final String CAPTURE_CLIENT_ACK = "288ea1e93689d0ab63000000036b06a8a1478b921f10caf0d4de8e0b6f16daa260387"
            + "6394bc7177b5ac3b0b7c0d4dcb32619213b5dec905edc3b058dce0309e7b21f";
    public static final String CAPTURE_CLIENT_ACK_PLAINTEXT = "02 00000001 00000000 64aaba152b7a2743";
    public static final long CAPTURE_REPLAY_TIME = 0x6b06a8a1L;

    public static final String CAPTURE_C2S_KEY = "0e0ef10fa820235d4cb86da16d58e7c9d2d38a87eb8292cba583145796e71611";
    public static final String CAPTURE_C2S_IV = "ce7d40caf68ed10e";
    public static final String CAPTURE_C2S_PING = "48000000 00000002 033ea310949c20e8a12edab970dedc2a "
            + "8ef20fda8b7c285adb8da5d02e886b93";
    public static final String CAPTURE_S2C_KEY = "3edd1a7790aec25ac554edb1764abda43d32f661085f312d82c39e620f979367";
    public static final String CAPTURE_S2C_IV = "964fc51490e2cd8a";
    public static final String CAPTURE_S2C_PING = "48000000 00000001 d28671e3bec3ed92c4c8e2b13f2626e9 "
            + "1fd630207f93fb325c8495a6cfe17607";
    /** §6.5. */
    public static final String PING_MAGIC = "2a187bf3641eb4cb07ed2d0a981fc748";

    // §8.3 live PRF key expansion (stock 2.6.14 client, method B)
    public static final String LIVE_PRE_MASTER =
            "b13c7e936f475009bc64c5a00ea2ecec67d41f6a1f9550de7084eeed71a6774c7902e4a4f3475fc2cb6afd5a031ebd7d";
    public static final String LIVE_CLIENT_RANDOM1 = "3e9fcf4be4c5357f1f09c3ac6a2f30c71153bd55699b0e5c3a5f28e54fba2831";
    public static final String LIVE_CLIENT_RANDOM2 = "6304c87c62c935bb7432275b24498ffe45d65ac7697b93ebae5f769776f85e50";
    public static final String LIVE_SERVER_RANDOM1 = "06228b0d04921c8759db0160bb7dac93e46d01a6515f37d76ecc2169c6f9f2d2";
    public static final String LIVE_SERVER_RANDOM2 = "086d952714b5def82e8bd140c48e2e3b52add507d136fecdc07fc67f719caef4";
    public static final String LIVE_CLIENT_SID = "846ab0c0e2423b03";
    public static final String LIVE_SERVER_SID = "3349ad0d8af1a2a6";
    public static final String LIVE_MASTER =
            "5c549780ec43492ed828e0217bba41e99407d3eed5173d0b4bc6f8a16031a4f10eda0bdd2db8995d33c1201c7644d691";
    public static final String LIVE_KEYS0_CIPHER = "500f2dceda7bf9b91dabbad45ee655aaa62291634e4749e2ef262565c2242e84";
    public static final String LIVE_KEYS0_HMAC8 = "3a95475ecc0e6209";
    public static final String LIVE_KEYS1_CIPHER = "80c4d690a746a26dcc4b7a699d46b1f784d6c6300586b576f4d9dc01edf44f79";
    public static final String LIVE_KEYS1_HMAC8 = "f4e74a31e2aa0df8";

    // §4 captured options strings (stock 2.6.14 defaults) and §5.2 captured PUSH_REPLY
    public static final String CAPTURE_OCC_CLIENT =
            "V4,dev-type tun,link-mtu 1541,tun-mtu 1500,proto UDPv4,auth SHA1,keysize 128,key-method 2,tls-client";
    public static final String CAPTURE_OCC_SERVER =
            "V4,dev-type tun,link-mtu 1541,tun-mtu 1500,proto UDPv4,auth SHA1,keysize 128,key-method 2,tls-server";
    public static final String CAPTURE_PUSH_REPLY = "PUSH_REPLY,route-gateway 10.8.0.1,topology subnet,ping 2,"
            + "ping-restart 10,ifconfig 10.8.0.2 255.255.255.0,peer-id 0,cipher AES-256-GCM,"
            + "protocol-flags cc-exit tls-ekm dyn-tls-crypt,tun-mtu 1500";
    /** §3.2 peer-info of a stock 2.6.14 Linux client. */
    public static final String CAPTURE_PEER_INFO = "IV_VER=2.6.14\nIV_PLAT=linux\nIV_TCPNL=1\nIV_MTU=1600\nIV_NCP=2\n"
            + "IV_CIPHERS=AES-256-GCM:AES-128-GCM:CHACHA20-POLY1305\nIV_PROTO=990\nIV_LZO_STUB=1\nIV_COMP_STUB=1\n"
            + "IV_COMP_STUBv2=1\n";
}
