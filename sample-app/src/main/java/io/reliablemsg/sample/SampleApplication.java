package io.reliablemsg.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * One node of the sample: a Spring Boot application that uses the reliable-msg starter as any
 * application would. The node knows nothing of the demo built on it (package {@code demo}, which
 * depends on this package and never the other way round); the executable jar's main class, the
 * demo's {@code SampleAppMain}, runs this node unless it is given {@code --demo}.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class SampleApplication {

    /** Runs one node. */
    public static void main(String[] args) {
        SpringApplication.run(SampleApplication.class, args);
    }
}
