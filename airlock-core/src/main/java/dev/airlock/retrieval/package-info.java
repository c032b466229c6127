@NullMarked
package dev.airlock.retrieval;

import org.jspecify.annotations.NullMarked;
