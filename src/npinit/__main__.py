from npinit.cli import main

main()
