from veiligheidskaart.cli import main

raise SystemExit(main())
