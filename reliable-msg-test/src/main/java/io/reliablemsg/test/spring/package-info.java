/**
 * Spring Boot test support: {@link io.reliablemsg.test.spring.AutoConfigureReliableMsgTestNetwork} puts a
 * test context's messenger on a {@link io.reliablemsg.test.TestNetwork} bean;
 * {@link io.reliablemsg.test.spring.TestNetworkContextInitializer} does it for contexts a test starts
 * itself. Needs the starter and spring-boot-test on the test class path.
 */
package io.reliablemsg.test.spring;
