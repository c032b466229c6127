@NullMarked
package dev.airlock.registry;

import org.jspecify.annotations.NullMarked;
