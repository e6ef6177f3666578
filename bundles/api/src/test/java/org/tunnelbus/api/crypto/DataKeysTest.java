package org.tunnelbus.api.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.Set;

import org.junit.jupiter.api.Test;

class DataKeysTest {
    private static DataKeyState key(int id, boolean server) {
        byte[] block = new byte[DataKeyState.KEY2_LENGTH];
        for (int i = 0; i < block.length; i++) {
            block[i] = (byte) i;
        }
        return new DataKeyState(id, "AES-256-GCM", block, server, 5, Instant.EPOCH);
    }

    @Test
    void aNewKeyIsOnlyReceivedUntilPromoted() {
        DataKeyState k0 = key(0, true);
        DataKeys keys = DataKeys.NONE.with(k0);
        assertNull(keys.send());
        assertSame(k0, keys.forKeyId(0));
        keys = keys.promote(0);
        assertSame(k0, keys.send());
        assertNull(keys.lameDuck());
    }

    @Test
    void promotionKeepsOneLameDuckAndRetiresOlderKeys() {
        DataKeyState k0 = key(0, true);
        DataKeyState k1 = key(1, true);
        DataKeyState k2 = key(2, true);
        DataKeys keys = DataKeys.NONE.with(k0).promote(0).with(k1);
        assertSame(k0, keys.send());
        assertSame(k1, keys.forKeyId(1));
        keys = keys.promote(1);
        assertSame(k1, keys.send());
        assertSame(k0, keys.lameDuck());
        assertSame(k0, keys.forKeyId(0));
        keys = keys.with(k2).promote(2);
        assertSame(k2, keys.send());
        assertSame(k1, keys.lameDuck());
        assertNull(keys.forKeyId(0));
        assertEquals(2, keys.all().size());
    }

    @Test
    void keyIdWrapReplacesTheOldKeyOfThatId() {
        DataKeyState old1 = key(1, true);
        DataKeyState k7 = key(7, true);
        DataKeyState new1 = key(1, true);
        DataKeys keys = DataKeys.NONE.with(old1).promote(1).with(k7).promote(7).with(new1);
        assertSame(new1, keys.forKeyId(1));
        assertNull(keys.lameDuck(), "the lame duck had the reused id");
        assertSame(k7, keys.promote(1).lameDuck());
    }

    @Test
    void withoutDropsAKey() {
        DataKeys keys = DataKeys.NONE.with(key(0, true)).promote(0).without(0);
        assertNull(keys.send());
        assertNull(keys.forKeyId(0));
        assertThrows(IllegalArgumentException.class, () -> DataKeys.NONE.promote(3));
        assertNull(DataKeys.NONE.forKeyId(9));
        assertNull(DataKeys.NONE.forKeyId(-1));
    }

    /** §3.3: the client sends with keys[0], the server with keys[1]; the implicit IV is the hmac half's start. */
    @Test
    void keyHalvesFollowTheRole() {
        DataKeyState server = key(0, true);
        DataKeyState client = key(0, false);
        assertEquals(128, server.cipherKey(true, 32)[0] & 0xFF);
        assertEquals(0, server.cipherKey(false, 32)[0] & 0xFF);
        assertEquals(192, server.implicitIv(true)[0] & 0xFF);
        assertEquals(64, server.implicitIv(false)[0] & 0xFF);
        assertArrayEquals(server.cipherKey(true, 32), client.cipherKey(false, 32));
        assertArrayEquals(server.implicitIv(false), client.implicitIv(true));
        assertEquals(8, client.implicitIv(true).length);
        assertFalse(server.toString().contains("80"), server.toString());
    }

    @Test
    void refusesBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> new DataKeyState(8, "AES-256-GCM", new byte[256], true, 0, Instant.EPOCH));
        assertThrows(IllegalArgumentException.class, () -> new DataKeyState(0, "AES-256-GCM", new byte[255], true, 0, Instant.EPOCH));
        assertThrows(IllegalArgumentException.class, () -> new DataKeyState(0, "AES-256-GCM", new byte[256], true, 0xFFFFFF, Instant.EPOCH));
        assertThrows(IllegalArgumentException.class, () -> new DataKeyState(0, "AES-256-GCM", new byte[256], true, 0,
                PacketIdCounter.longForm(), new ReplayWindow(), Instant.EPOCH));
    }

    /** Several I/O threads seal packets of one session at once: every id is handed out exactly once. */
    @Test
    void shortFormCounterIsThreadSafe() throws InterruptedException {
        PacketIdCounter c = PacketIdCounter.shortForm();
        Set<Long> seen = ConcurrentHashMap.newKeySet();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        for (int t = 0; t < 4; t++) {
            pool.execute(() -> {
                for (int i = 0; i < 50_000; i++) {
                    assertTrue(seen.add(c.next(0)));
                }
            });
        }
        pool.shutdown();
        assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));
        assertEquals(200_000, seen.size());
        assertEquals(200_000, c.lastId());
        long[] sorted = seen.stream().mapToLong(Long::longValue).sorted().toArray();
        assertEquals(1, sorted[0]);
        assertEquals(200_000, sorted[sorted.length - 1]);
        assertTrue(Arrays.stream(sorted).noneMatch(v -> v <= 0));
    }
}
