from appealdesk.cli import main

raise SystemExit(main())
