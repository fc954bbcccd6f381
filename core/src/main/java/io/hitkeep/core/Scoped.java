package io.hitkeep.core;

/** A store request that names nothing but the caller, e.g. "my teams". */
public record Scoped(Scope scope) {}
