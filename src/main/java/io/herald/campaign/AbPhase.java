package io.herald.campaign;

/** Where an A/B test with an automatic winner stands. */
public enum AbPhase {
    /** The variants go to the test share of the segment. */
    TEST,
    /** The test messages are out; the winner is chosen when the wait is over. */
    WAITING,
    /** The winner goes to the rest of the segment. */
    WINNER
}
