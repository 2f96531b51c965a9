return RLKit.Cli.RLKitCommandLine.Run(args, RLKit.Cli.CliOutput.Console);
