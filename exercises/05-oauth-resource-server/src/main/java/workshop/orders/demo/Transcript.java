package workshop.orders.demo;

import java.io.PrintStream;
import workshop.orders.client.OrdersClient;

/**
 * Writes a demo's transcript: the steps, each request with what came back, and a line for every outcome
 * that was not the expected one. The same in every step of the workshop, so that a step's {@code Demo}
 * holds nothing but its scenarios.
 */
public final class Transcript {

    private final PrintStream out;
    private int surprises;

    public Transcript(PrintStream out) {
        this.out = out;
    }

    /** A line of its own, e.g. the title or what the reader should know before the steps. */
    public void say(String line) {
        out.println(line);
    }

    /** Starts a numbered step of the scenario. */
    public void step(String title) {
        out.println();
        out.println(title);
    }

    /** A request and what came back, one line each, indented under the step. */
    public void show(String request, String result) {
        out.println("   -> " + request);
        result.lines().forEach(line -> out.println("      " + line));
    }

    /** Notes an outcome that was not {@code what} the scenario expected; the demo then exits with 1. */
    public void expect(boolean condition, String what) {
        if (!condition) {
            surprises++;
            out.println("   UNEXPECTED: expected " + what);
        }
    }

    /** Sends a request that must be refused, shows what came back, and checks the one-line explanation. */
    public void expectRefused(String request, Runnable attempt, String... explanationParts) {
        try {
            attempt.run();
            show(request, "ACCEPTED");
            expect(false, "this request is refused");
        } catch (RuntimeException refused) {
            String why = OrdersClient.explain(refused);
            show(request, "refused: " + why);
            for (String part : explanationParts) {
                expect(why.contains(part), "a refusal that says " + part);
            }
        }
    }

    /** Ends the transcript and returns the exit code: 0 when every outcome was the expected one. */
    public int finish() {
        out.println();
        out.println(surprises == 0 ? "Demo finished: every request ended as expected."
                : "Demo finished with " + surprises + " unexpected outcome(s).");
        return surprises == 0 ? 0 : 1;
    }
}
