package org.tunnelbus.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class LossyLinkTest {
    private static List<Integer> run(LossyLink link, int n) throws InterruptedException {
        List<Integer> got = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            link.send(new byte[] {(byte) (i >> 8), (byte) i}, d -> {
                synchronized (got) {
                    got.add(((d[0] & 0xff) << 8) | (d[1] & 0xff));
                }
            });
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        long expected = n - link.lost() - link.overflow() + link.duplicated();
        while (System.nanoTime() < deadline) {
            synchronized (got) {
                if (got.size() >= expected) {
                    break;
                }
            }
            Thread.sleep(5);
        }
        Thread.sleep(50);
        synchronized (got) {
            return List.copyOf(got);
        }
    }

    @Test
    void aPerfectLinkDeliversEverythingInOrder() throws Exception {
        try (LossyLink link = LossyLink.builder(1).build()) {
            List<Integer> got = run(link, 500);
            assertEquals(500, got.size());
            for (int i = 0; i < 500; i++) {
                assertEquals(i, got.get(i));
            }
        }
    }

    @Test
    void lossDuplicationAndReorderingHappenAtTheConfiguredRates() throws Exception {
        try (LossyLink link = LossyLink.builder(42).loss(0.2).duplicate(0.1).reorder(0.1).delay(0, 2).build()) {
            List<Integer> got = run(link, 2000);
            assertTrue(link.lost() > 300 && link.lost() < 500, link.toString());
            assertTrue(link.duplicated() > 100 && link.duplicated() < 250, link.toString());
            assertEquals(2000 - link.lost() + link.duplicated(), got.size(), link.toString());
            int inversions = 0;
            for (int i = 1; i < got.size(); i++) {
                if (got.get(i) < got.get(i - 1)) {
                    inversions++;
                }
            }
            assertTrue(link.reordered() > 100 && link.reordered() < 250, link.toString());
            assertTrue(inversions > 10, "datagrams arrived out of order: " + inversions);
        }
    }

    @Test
    void theSameSeedLosesTheSameDatagrams() throws Exception {
        List<Integer> a;
        List<Integer> b;
        try (LossyLink link = LossyLink.builder(7).loss(0.3).build()) {
            a = run(link, 300);
        }
        try (LossyLink link = LossyLink.builder(7).loss(0.3).build()) {
            b = run(link, 300);
        }
        assertEquals(a, b);
    }

    @Test
    void itIsBounded() throws Exception {
        try (LossyLink link = LossyLink.builder(3).delay(200, 200).maxInFlight(10).build()) {
            for (int i = 0; i < 50; i++) {
                link.send(new byte[1], d -> { });
            }
            assertEquals(40, link.overflow());
        }
    }
}
