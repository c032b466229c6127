@NullMarked
package dev.airlock.pipeline;

import org.jspecify.annotations.NullMarked;
