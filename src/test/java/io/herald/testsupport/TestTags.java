package io.herald.testsupport;

/** JUnit tags that decide how the pom's failsafe runs take an IT. */
public final class TestTags {
    /**
     * ITs (or single scenarios) that restart or stop a server other ITs use, or that time what they test: they run
     * alone, after the ITs that run side by side in two JVMs.
     */
    public static final String EXCLUSIVE = "exclusive";

    private TestTags() {
    }
}
