// The object the precompiled header (src/pch.hpp) is built for; it holds no code.
