Console.Error.WriteLine("actorhttp: no commands yet");
return 2;
