// Fixture worker for pmx's end-to-end tests; behaviour is chosen by flags.
Console.WriteLine("testworker started");
return 0;
