package io.reliablemsg.sample;

import io.reliablemsg.sample.demo.DemoLauncher;
import java.util.Arrays;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * One node of the sample: a Spring Boot application that uses the reliable-msg starter as any
 * application would. With {@code --demo} it is instead the demo launcher, which starts two nodes as
 * child processes and prints their progress (see {@link DemoLauncher}).
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class SampleApplication {

    /** Runs a node, or the demo with {@code --demo}. */
    public static void main(String[] args) throws Exception {
        if (Arrays.asList(args).contains("--demo")) {
            System.exit(DemoLauncher.run(args));
        }
        SpringApplication.run(SampleApplication.class, args);
    }
}
