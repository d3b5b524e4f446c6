package io.reliablemsg.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Completions batch into one pool task at a time, run in order, and none is stranded. */
class BatchingCompleterTest {
    private final List<Runnable> tasks = new ArrayList<>();
    private final List<String> ran = new ArrayList<>();
    private final BatchingCompleter completer = new BatchingCompleter(tasks::add);

    @Test
    void completionsQueuedBeforeTheTaskRunsShareOneTaskAndRunInOrder() {
        completer.execute(() -> ran.add("a"));
        completer.execute(() -> ran.add("b"));
        completer.execute(() -> ran.add("c"));
        assertThat(tasks).hasSize(1);
        tasks.remove(0).run();
        assertThat(ran).containsExactly("a", "b", "c");
        completer.execute(() -> ran.add("d"));
        assertThat(tasks).as("a new batch after the last one drained").hasSize(1);
        tasks.remove(0).run();
        assertThat(ran).containsExactly("a", "b", "c", "d");
    }

    @Test
    void aCompletionQueuedWhileTheBatchRunsRunsInTheSameBatch() {
        completer.execute(() -> {
            ran.add("first");
            completer.execute(() -> ran.add("queued meanwhile"));
        });
        tasks.remove(0).run();
        assertThat(ran).containsExactly("first", "queued meanwhile");
        assertThat(tasks).as("no second task for it").isEmpty();
    }

    @Test
    void aThrowingCompletionDoesNotStopTheOthers() {
        completer.execute(() -> {
            throw new IllegalStateException("bug");
        });
        completer.execute(() -> ran.add("after"));
        tasks.remove(0).run();
        assertThat(ran).containsExactly("after");
        completer.execute(() -> ran.add("later"));
        assertThat(tasks).as("the completer still schedules").hasSize(1);
    }
}
