package io.hitkeep.bench;

import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The settings every JMH benchmark here shares (JMH's annotations are inherited): throughput on one thread, so
 * a figure is operations per second per core; 3 warm-up and 5 measured iterations of 2 s in one fork. A
 * benchmark extends it from the package of the code it measures, which may be package-private.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@Threads(1)
public abstract class OneThreadBenchmark {
}
