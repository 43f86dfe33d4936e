global using Pmx.Testing;
