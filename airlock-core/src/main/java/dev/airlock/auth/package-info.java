@NullMarked
package dev.airlock.auth;

import org.jspecify.annotations.NullMarked;
