from lamdata.cli.main import main

main()
