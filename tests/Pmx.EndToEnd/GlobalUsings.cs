global using Pmx.Testing;
global using TUnit.Assertions.Enums;
