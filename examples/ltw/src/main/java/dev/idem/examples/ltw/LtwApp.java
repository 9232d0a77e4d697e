package dev.idem.examples.ltw;

import java.io.PrintStream;

/**
 * A plain-javac app woven at load time. Run it with the AspectJ weaver agent:
 *
 * <pre>
 * java -javaagent:aspectjweaver-1.9.27.jar -cp &lt;app and idem jars&gt; dev.idem.examples.ltw.LtwApp
 * </pre>
 *
 * <p>It calls an {@code @Idempotent} method {@value #CALLS} times with the same key and prints how many times the body
 * ran, then {@code woven: yes} (the body ran once, the repeats were replayed) or {@code woven: no} (the body ran on
 * every call: the agent is missing or did not weave this class). The exit status is 0 either way.
 */
public final class LtwApp {
    /** How many calls the app makes with the same key. */
    public static final int CALLS = 3;

    private LtwApp() {
    }

    /**
     * Runs the demo on standard output.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        run(System.out);
    }

    /**
     * Runs the demo.
     *
     * @param out where to print
     * @return whether the method was woven (its body ran once for all calls)
     */
    static boolean run(PrintStream out) {
        OrderService orders = new OrderService();
        for (int call = 1; call <= CALLS; call++) {
            out.println("call " + call + ": " + orders.place("order-42"));
        }
        int runs = orders.placed();
        out.println("body ran: " + runs + " time(s) in " + CALLS + " calls with the same key");
        boolean woven = runs == 1;
        out.println("woven: " + (woven ? "yes" : "no"));
        if (!woven) {
            out.println("(start the JVM with -javaagent:<path to aspectjweaver.jar> to weave @Idempotent at load time)");
        }
        return woven;
    }
}
