@NullMarked
package dev.airlock.deploy;

import org.jspecify.annotations.NullMarked;
