from ecoplan.cli.main import main

main()
