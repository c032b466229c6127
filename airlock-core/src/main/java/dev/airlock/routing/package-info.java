@NullMarked
package dev.airlock.routing;

import org.jspecify.annotations.NullMarked;
