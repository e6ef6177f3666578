package org.tunnelbus.testsupport;

import org.tunnelbus.api.packet.Packet;
import org.tunnelbus.api.pipeline.Stage;
import org.tunnelbus.api.pipeline.Verdict;

/** Small stages that behave like real ones, to prove the harness and the contract. */
final class SampleStages {
    private SampleStages() {
    }

    /** Prepends a 4-byte header "TB" + length (like framing); declares its 4 bytes of headroom. */
    static final class AddHeader implements Stage {
        @Override
        public Verdict process(Packet p) {
            int len = p.length();
            int at = p.prepend(4);
            p.buffer().put(at, (byte) 'T').put(at + 1, (byte) 'B').putShort(at + 2, (short) len);
            return Verdict.PASS;
        }

        @Override
        public int headroom() {
            return 4;
        }
    }

    /** Parses and strips that header; drops what does not carry it. */
    static final class StripHeader implements Stage {
        static final Verdict NOT_FRAMED = Verdict.drop("not-framed");
        static final Verdict BAD_LENGTH = Verdict.drop("bad-length");

        @Override
        public Verdict process(Packet p) {
            if (p.length() < 4 || p.get(0) != 'T' || p.get(1) != 'B') {
                return NOT_FRAMED;
            }
            int len = p.buffer().getShort(p.offset() + 2) & 0xffff;
            if (len != p.length() - 4) {
                return BAD_LENGTH;
            }
            p.trimFront(4);
            return Verdict.PASS;
        }
    }

    /** Appends a 2-byte trailer (like a tag), declaring it. */
    static final class AddTrailer implements Stage {
        @Override
        public Verdict process(Packet p) {
            int at = p.append(2);
            p.buffer().putShort(at, (short) 0xbeef);
            return Verdict.PASS;
        }

        @Override
        public int tailroom() {
            return 2;
        }
    }

    /** Buggy: strips a 20-byte header without checking the length (throws on short input). */
    static final class Careless implements Stage {
        @Override
        public Verdict process(Packet p) {
            p.trimFront(20);
            return Verdict.PASS;
        }
    }

    /** Buggy: prepends 8 bytes but declares 4. */
    static final class Greedy implements Stage {
        @Override
        public Verdict process(Packet p) {
            p.prepend(8);
            return Verdict.PASS;
        }

        @Override
        public int headroom() {
            return 4;
        }
    }
}
