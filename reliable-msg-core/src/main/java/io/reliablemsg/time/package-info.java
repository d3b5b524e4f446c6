/** The {@link io.reliablemsg.time.Clock} seam: the system clock, and a manual clock for tests. */
package io.reliablemsg.time;
