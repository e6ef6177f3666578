package org.tunnelbus.testsupport;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.tunnelbus.api.pipeline.Stage;

/** The stage contract, run against well-behaved sample stages, and shown to catch broken ones. */
class StageContractTest {

    @Nested
    class AddHeaderHonoursTheContract extends StageContract {
        @Override
        protected Stage createStage() {
            return new SampleStages.AddHeader();
        }
    }

    @Nested
    class StripHeaderHonoursTheContract extends StageContract {
        @Override
        protected Stage createStage() {
            return new SampleStages.StripHeader();
        }

        @Override
        protected List<byte[]> validInputs(Random r) {
            return List.of(new byte[] {'T', 'B', 0, 2, 1, 2}, new byte[] {'T', 'B', 0, 0});
        }
    }

    @Nested
    class AddTrailerHonoursTheContract extends StageContract {
        @Override
        protected Stage createStage() {
            return new SampleStages.AddTrailer();
        }
    }

    @Test
    void aStageThatThrowsOnShortInputFailsTheContract() {
        StageContract c = new StageContract() {
            @Override
            protected Stage createStage() {
                return new SampleStages.Careless();
            }
        };
        AssertionFailedError e = assertThrows(AssertionFailedError.class, c::neverThrowsOnGarbageAndAlwaysReturnsAVerdict);
        assertTrue(e.getMessage().contains("made the stage throw"), e.getMessage());
    }

    @Test
    void aStageThatUsesMoreHeadroomThanItDeclaresFailsTheContract() {
        StageContract c = new StageContract() {
            @Override
            protected Stage createStage() {
                return new SampleStages.Greedy();
            }
        };
        AssertionFailedError e = assertThrows(AssertionFailedError.class, c::staysWithinTheHeadroomAndTailroomItDeclares);
        assertTrue(e.getMessage().contains("declared headroom 4"), e.getMessage());
    }
}
