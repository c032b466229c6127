@NullMarked
package dev.airlock.provider;

import org.jspecify.annotations.NullMarked;
