#!/usr/bin/env python3
"""The language tests' stack in Python: the same stack as test/languages/typescript/app.ts."""
from aws_cdk import App, CfnOutput, Stack
from aws_cdk import aws_opensearchservice as opensearch
from cdk_opensearch_packages import CustomPackage, DomainPackageAssociation, PackageSource
from constructs import Construct


class LanguageTestStack(Stack):
    def __init__(self, scope: Construct, construct_id: str, **kwargs) -> None:
        super().__init__(scope, construct_id, **kwargs)

        domain = opensearch.Domain.from_domain_attributes(
            self,
            "Domain",
            domain_arn="arn:aws:es:eu-west-1:123456789012:domain/products",
            domain_endpoint="https://search-products-abcdefghijklmnopqrstuvwxyz.eu-west-1.es.amazonaws.com",
        )

        # A dictionary from a file of this app, associated with the domain.
        synonyms = CustomPackage(
            self,
            "Synonyms",
            package_name="product-synonyms",
            source=PackageSource.from_asset("dictionaries/synonyms.txt"),
        )
        association = synonyms.associate_with(domain)

        # A package that already exists: a plugin's configuration, with the plugin as its prerequisite.
        DomainPackageAssociation(
            self,
            "PluginConfig",
            domain=domain,
            package_id="pkg-0123456789abcdef0",
            version_label="v2",
            prerequisite_package_ids=["pkg-fedcba98765432100"],
        )

        CfnOutput(self, "SynonymsPath", value=association.reference_path)


app = App()
LanguageTestStack(app, "OpenSearchPackagesLanguageTest")
app.synth()
