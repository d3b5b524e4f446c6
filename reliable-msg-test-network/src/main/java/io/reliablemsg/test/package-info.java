/**
 * The test kit: {@link io.reliablemsg.test.TestNetwork}, a network inside the JVM that messengers run
 * on with their real threads and no UDP port, with seeded loss, duplication, delay and partitions a
 * test switches at runtime; a JUnit Jupiter extension that closes what a test started. The Spring Boot
 * test support is in {@code io.reliablemsg.test.spring}.
 */
package io.reliablemsg.test;
