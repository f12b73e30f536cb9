from opentrakt.cli import main

main()
