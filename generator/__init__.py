"""zhengxie: a knowledge base and publication generator for district CPPCC committees."""
