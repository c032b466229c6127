@NullMarked
package dev.airlock.decision;

import org.jspecify.annotations.NullMarked;
