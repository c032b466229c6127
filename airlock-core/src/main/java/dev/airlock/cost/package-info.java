@NullMarked
package dev.airlock.cost;

import org.jspecify.annotations.NullMarked;
