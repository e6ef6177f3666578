package org.tunnelbus.e2e.harness;

import java.util.ArrayList;
import java.util.List;

/**
 * Checks that should not stop a long test at the first failure (a refusal test goes on to the next refusal, so a
 * run reports every problem at once); {@link #assertAll()} at the end fails with all of them.
 */
public final class Soft {
    /** A check that may throw {@link AssertionError}. */
    @FunctionalInterface
    public interface Check {
        void run() throws Exception;
    }

    private final List<String> problems = new ArrayList<>();

    /** Runs {@code check}; an assertion failure is recorded instead of thrown. */
    public void check(String what, Check check) {
        try {
            check.run();
        } catch (AssertionError e) {
            problems.add(what + ": " + e.getMessage());
            System.out.println("[e2e] FAILED (continuing): " + what + ": " + e.getMessage());
        } catch (Exception e) {
            throw new AssertionError(what + ": " + e, e);
        }
    }

    public void assertAll() {
        if (!problems.isEmpty()) {
            throw new AssertionError(problems.size() + " check(s) failed:\n- " + String.join("\n- ", problems));
        }
    }
}
