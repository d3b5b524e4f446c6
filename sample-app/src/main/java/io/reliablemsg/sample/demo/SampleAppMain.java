package io.reliablemsg.sample.demo;

import io.reliablemsg.sample.SampleApplication;
import java.io.IOException;
import java.util.Arrays;

/**
 * The main class of the executable jar: with {@code --demo} the demo launcher ({@link DemoLauncher}),
 * otherwise one node ({@link SampleApplication}). It stands above both, so that the node never
 * refers to the demo and the packages form no cycle.
 */
public final class SampleAppMain {
    private SampleAppMain() {
    }

    /** Runs the demo with {@code --demo} and exits with its status; otherwise runs one node. */
    public static void main(String[] args) throws IOException, InterruptedException {
        if (Arrays.asList(args).contains("--demo")) {
            System.exit(DemoLauncher.run(args));
        }
        SampleApplication.main(args);
    }
}
