package io.reliablemsg.sample;

import java.util.function.Supplier;

/**
 * A section of {@code GET /api/stats} contributed by an optional part of the node (the demo's fault
 * switch, say): {@link NodeController} reports every section that exists without knowing the
 * types behind them, so such parts depend on the node and the node not on them.
 *
 * @param key   name of the section in the stats body
 * @param state the section's content now, written as JSON
 */
public record StatsSection(String key, Supplier<?> state) {
}
