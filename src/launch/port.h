#pragma once
// A free TCP port on 127.0.0.1.
namespace fwbench::launch {

// Binds port 0 on 127.0.0.1, reads the port the kernel chose and closes the socket. Another
// process may take it before the server binds; callers treat a failed start as retryable.
// Throws fwbench::Error when no socket can be bound.
int FreeLoopbackPort();

}  // namespace fwbench::launch
