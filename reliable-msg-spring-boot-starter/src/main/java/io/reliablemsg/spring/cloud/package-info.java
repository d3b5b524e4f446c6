/**
 * Peers from what Spring Cloud applications already run: configuration refreshed at runtime
 * ({@link io.reliablemsg.spring.cloud.ConfigurationPeers}, spring-cloud-context) and service discovery
 * ({@link io.reliablemsg.spring.cloud.DiscoveryPeers}, spring-cloud-commons). Both optional: used only when
 * their library is on the class path.
 */
package io.reliablemsg.spring.cloud;
